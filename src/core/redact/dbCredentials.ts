import { type Hit, rank } from './types';
import { isPlaceholder } from './values';

/**
 * Database passwords outside a `scheme://` URL: SQL that creates or changes a login (`CREATE USER … IDENTIFIED
 * BY '…'`, `ALTER ROLE … WITH PASSWORD '…'`, `CREATE LOGIN … WITH PASSWORD = '…'`, `SET PASSWORD … =
 * PASSWORD('…')`) and Go's MySQL driver DSN (`user:password@tcp(host:3306)/db`, no scheme). Each regex
 * starts with a keyword and every repetition is bounded.
 */
// Each regex starts with its rarer keyword (IDENTIFIED, PASSWORD) and looks behind it for the statement's
// USER / ROLE / LOGIN / GRANT: starting with those words tried every word of a text.
const SQL = [
  // MySQL, MariaDB, Oracle: CREATE USER | GRANT … IDENTIFIED [WITH plugin] BY [PASSWORD] '…'.
  /IDENTIFIED(?<=\b(?:USER|ROLE|LOGIN|GRANT)[ \t][^;\n]{0,200}\bIDENTIFIED)[ \t]+(?:WITH[ \t]+\w{1,64}[ \t]+)?BY[ \t]+(?:PASSWORD[ \t]+)?(?:'([^'\n]{1,256})'|"([^"\n]{1,256})")/dgi,
  // Oracle's unquoted password, only in upper-case SQL (`identified by` is also English).
  /IDENTIFIED(?<=\b(?:USER|ROLE)[ \t][^;\n]{0,200}\bIDENTIFIED)[ \t]+BY[ \t]+(?=[^\s'";]{0,255}[A-Za-z])([^\s'";]{3,256})/dg,
  // PostgreSQL, SQL Server, Snowflake: … USER|ROLE|LOGIN … PASSWORD [=] '…'.
  /PASSWORD(?<=\b(?:USER|ROLE|LOGIN)[ \t][^;\n]{0,200}[ \t]PASSWORD)(?:[ \t]*=[ \t]*|[ \t]+)(?:'([^'\n]{1,256})'|"([^"\n]{1,256})")/dgi,
  // MySQL before 8: SET PASSWORD … = PASSWORD('…').
  /PASSWORD(?<=\bSET[ \t]+PASSWORD\b[^;\n]{0,200}=[ \t]*PASSWORD)[ \t]*\([ \t]*(?:'([^'\n]{1,256})'|"([^"\n]{1,256})")/dgi,
];
const GO_DSN = /(?<![\w/:@.%-])[\w.-]{1,64}:([^\s@/:"'`]{1,256})@(?:tcp|unix|udp)\(/dg;

export function findDbCredentials(text: string): Hit[] {
  const hits: Hit[] = [];
  let m: RegExpExecArray | null;
  if (/password|identified/i.test(text)) {
    // Each regex has the password in group 1 or 2.
    for (const re of SQL) {
      re.lastIndex = 0;
      while ((m = re.exec(text)) !== null) {
        const g = m[1] !== undefined ? 1 : 2;
        const v = m[g];
        if (v === undefined || isPlaceholder(v) || /^[?:$@]|^%s$/.test(v)) continue; // bind parameters
        hits.push({ rule: 'sql-password', start: m.indices![g][0], end: m.indices![g][1], rank: rank.name });
      }
    }
  }
  if (text.includes('@tcp(') || text.includes('@unix(') || text.includes('@udp(')) {
    GO_DSN.lastIndex = 0;
    while ((m = GO_DSN.exec(text)) !== null) {
      if (!isPlaceholder(m[1])) hits.push({ rule: 'url-credentials', start: m.indices![1][0], end: m.indices![1][1], rank: rank.name });
    }
  }
  return hits;
}
