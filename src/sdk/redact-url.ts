/**
 * `text` with the password of a URL's credentials replaced by `***` (`https://user:***@host`),
 * for every message and handle field that shows a configured endpoint: the value itself is never
 * printed. Text that is not such a URL is returned unchanged.
 */
export function redactedUrl(text: string): string {
  return text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, '$1:***@');
}
