/**
 * Whether the writer's tables exist: `unknown` until they are created (at start, and again after a
 * failed write, since the database may have lost them), `creating` while the one migration runs,
 * `ready` once it succeeded.
 */
type TablesState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'creating'; readonly done: Promise<void> }
  | { readonly kind: 'ready' };

/**
 * Creates the writer's tables once, however many callers wait for them, and again after
 * {@link invalidate}. Without a migration (the writer's `migrate: false`) the tables are taken as
 * ready for good.
 */
export class TableSetup {
  private state: TablesState;

  /** `migrate` creates every missing table; `undefined` when the writer must not create tables. */
  constructor(private readonly migrate: (() => Promise<unknown>) | undefined) {
    this.state = migrate === undefined ? { kind: 'ready' } : { kind: 'unknown' };
  }

  /** Whether the tables are known to exist. */
  get isReady(): boolean {
    return this.state.kind === 'ready';
  }

  /** Resolves once the tables exist (starting the migration if none runs); rejects with its error. */
  ready(): Promise<void> {
    const state = this.state;
    if (state.kind === 'ready') return Promise.resolve();
    if (state.kind === 'creating') return state.done;
    const migrate = this.migrate as () => Promise<unknown>;
    const done = migrate().then(
      () => {
        this.state = { kind: 'ready' };
      },
      (error: unknown) => {
        this.state = { kind: 'unknown' };
        throw error;
      },
    );
    this.state = { kind: 'creating', done };
    return done;
  }

  /** The tables may be gone (a write failed): create them again before the next write. */
  invalidate(): void {
    if (this.migrate !== undefined && this.state.kind === 'ready') this.state = { kind: 'unknown' };
  }
}
