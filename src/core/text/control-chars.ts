/**
 * Pure: removes control characters that have no place in stored text (NUL and the other C0 controls except tab,
 * line feed and carriage return; DEL; the C1 controls). They break CSV/terminal output and some stores, and are a
 * common way to smuggle text past filters.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function stripControlChars(s: string): string {
  return s.replace(CONTROL, '');
}
