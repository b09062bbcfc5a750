/**
 * The credentials of a URL, with or without its scheme: the user name, then the password up to
 * the last `@` before the path (a URL parser ends them there too, so an `@` in the password is
 * covered).
 */
const CREDENTIALS = /^(\s*(?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#@:]*):[^/?#]*@/i;

/**
 * `text` with the password of a URL's credentials replaced by `***` (`https://user:***@host`),
 * for every message and handle field that shows a configured endpoint, scheme-less typos
 * included (`user:pw@collector:4318`): the value itself is never printed. Text without such
 * credentials is returned unchanged.
 */
export function redactedUrl(text: string): string {
  return text.replace(CREDENTIALS, '$1:***@');
}
