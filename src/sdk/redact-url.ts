/** Everything before the last `@` (after a scheme), in text that does not parse as a URL. */
const UP_TO_LAST_AT = /^((?:[a-z][a-z0-9+.-]*:)?\/*).*@/is;

/**
 * `text` as a message or a handle field may show a configured endpoint: no credentials and no
 * query (where API keys go). An http(s) URL keeps its user name and shows its password (or a
 * lone token in the user part) and its query as `***`. Text that is not one, the typo a warning
 * is about, loses its query and everything before its last `@`, whatever characters the secret
 * holds (`/`, `#`, `?`, a second `@`).
 */
export function redactedUrl(text: string): string {
  if (/^\s*https?:/i.test(text) && URL.canParse(text)) {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    else if (url.username !== '') url.username = '***';
    const hadQuery = url.search !== '';
    url.search = '';
    url.hash = '';
    return hadQuery ? `${url.href}?***` : url.href;
  }
  return text.replace(/[?#].*$/s, '?***').replace(UP_TO_LAST_AT, '$1***@');
}
