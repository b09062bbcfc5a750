/** An HTTP header name: an RFC 9110 token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `name` can be an HTTP header name (a key that cannot is never printed: it may be a secret). */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/**
 * What makes `name: value` unusable as an HTTP request header, or `undefined` when it is fine:
 * Node's HTTP client refuses such a header, so an upload carrying it would fail every time.
 */
export function headerProblem(name: string, value: string): string | undefined {
  if (!isHeaderName(name)) {
    return "its name is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~, no spaces)";
  }
  if (hasControl(value)) return 'its value holds a control character (such as CR or LF)';
  return undefined;
}

/** Whether `value` holds a control character other than tab (CR and LF would split the request). */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
