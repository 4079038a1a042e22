export {
  importLines,
  readAll,
  assertReadableFile,
  InputFileError,
  DEFAULT_BATCH,
  type ImportReport,
  type ImportProgress,
  type LineProblem,
} from './importer';
export { exportJsonl } from './export';
export { FORMATS, lineParser, type Format } from './formats';
export { episodeLine, insightLine, parseDejafixLine } from './jsonl';
export { episodeFromInstance, swebenchEpisodeId } from './swebench';
export { readLines } from './lines';
export { importDocuments, listDocuments, DocumentError, type DocumentImportReport, type DocumentProblem } from './documents';
export { DOCUMENT_FORMATS, documentFormat, isDocumentFormat, type DocumentFormatName } from './documentFormats';
export { newestTime, shiftParsed, recentDatesParser } from './recentDates';
