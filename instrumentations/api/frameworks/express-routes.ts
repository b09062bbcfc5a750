/**
 * Route templates of an Express 5 application, found by walking its router tree once (and again
 * when an unknown route shows up), so a route under `app.use('/orgs/:org', router)` is reported
 * as `/orgs/:org/users/:id` — never with the ids of `req.baseUrl`.
 */

/** The subset of an Express route that is read. */
export interface ExpressRouteLike {
  path?: unknown;
}

interface LayerLike {
  route?: ExpressRouteLike;
  rawPath?: unknown;
  handle?: { stack?: unknown };
}

/** The subset of an Express application that is read. */
export interface ExpressAppLike {
  router?: { stack?: unknown };
  path?: () => string;
}

const templatesByApp = new WeakMap<object, Map<object, string>>();
const unknownRoutes = new WeakSet<object>();

/** The full template of `route` handled by `app` (a root or mounted sub-application). */
export function routeTemplate(app: ExpressAppLike | undefined, route: ExpressRouteLike): string {
  if (app === undefined) return pathText(route.path);
  let templates = templatesByApp.get(app);
  let template = templates?.get(route);
  if (template !== undefined) return template;
  if (templates === undefined || !unknownRoutes.has(route)) {
    templates = scanApp(app);
    templatesByApp.set(app, templates);
    template = templates.get(route);
    if (template !== undefined) return template;
    unknownRoutes.add(route);
  }
  template = joinPaths(appPrefix(app), pathText(route.path));
  templates.set(route, template);
  return template;
}

function scanApp(app: ExpressAppLike): Map<object, string> {
  const templates = new Map<object, string>();
  scanStack(app.router?.stack, appPrefix(app), templates, new Set());
  return templates;
}

function scanStack(
  stack: unknown,
  prefix: string,
  out: Map<object, string>,
  seen: Set<unknown>,
): void {
  if (!Array.isArray(stack) || seen.has(stack)) return;
  seen.add(stack);
  for (const layer of stack as LayerLike[]) {
    if (layer.route !== undefined) {
      if (!out.has(layer.route))
        out.set(layer.route, joinPaths(prefix, pathText(layer.route.path)));
    } else if (layer.handle !== undefined) {
      scanStack(layer.handle.stack, joinPaths(prefix, pathText(layer.rawPath)), out, seen);
    }
  }
}

function appPrefix(app: ExpressAppLike): string {
  try {
    return typeof app.path === 'function' ? app.path() : '';
  } catch {
    return '';
  }
}

/** A route or mount path as text: strings as is, arrays joined with `|`, patterns as source. */
function pathText(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(pathText).join('|');
  if (path instanceof RegExp) return path.toString();
  return '';
}

/** Joins a mount prefix and a path: `('/api', '/')` → `/api`, `('', '/')` → `/`. */
export function joinPaths(prefix: string, path: string): string {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (path === '' || path === '/') return base === '' ? '/' : base;
  return base + (path.startsWith('/') ? path : `/${path}`);
}
