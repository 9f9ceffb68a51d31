// async-exit-hook ships no types; this is the part of its API the launcher uses.
declare module 'async-exit-hook' {
  /** Runs `hook` on SIGINT, SIGTERM and exit; an asynchronous hook calls `done` when finished. */
  function exitHook(hook: (done: () => void) => void): void;
  namespace exitHook {
    /** How long asynchronous hooks may take before the process exits anyway (default 10 s). */
    function forceExitTimeout(ms: number): void;
  }
  export = exitHook;
}
