/** A connection URL fit for logs and errors: its password replaced by `***` (an unparsable URL: `<invalid url>`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
