// POSIX `cksum`'s CRC (the first number it prints), so Node and the sh fast path (dist/hook.sh,
// which pipes the same text through `cksum`) name the warm server's socket alike. Not a secure hash:
// it only spreads stores over socket names; the server checks every request's store itself.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function posixCksum(data: Buffer | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0;
  const step = (b: number) => {
    crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xff]) >>> 0;
  };
  for (const b of bytes) step(b);
  // then the length, least significant byte first, as many bytes as it takes
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) step(n & 0xff);
  return ~crc >>> 0;
}
