#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { terminalText } from '../core/terminal-text.js';
import { type CliCommand, type CliIo, UsageError } from './command.js';
import { COMMANDS } from './registry.js';
import { packageVersion } from './version.js';

/** Exit codes: 0 success, 1 runtime failure, 2 command-line mistake. */
export const EXIT_OK = 0;
/** A runtime failure: unknown table, bad URL, unreachable database… */
export const EXIT_FAILURE = 1;
/** A command-line mistake: unknown command or flag, missing argument. */
export const EXIT_USAGE = 2;

/** The oldest Node.js opmeter runs on (`engines` in package.json). */
export const MIN_NODE_VERSION = '22.15';

/**
 * What is wrong with running on Node.js `version` (`process.versions.node`), or undefined when it
 * is recent enough: on an older one, commands fail deep inside (`No such built-in module:
 * node:sqlite`) instead of saying what to upgrade.
 */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [minMajor = 0, minMinor = 0] = MIN_NODE_VERSION.split('.').map(Number);
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return undefined;
  return `needs Node.js ${MIN_NODE_VERSION} or later; this is Node.js ${version}`;
}

/** Top-level usage text. */
export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: opmeter <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  -h, --help     show help (also: opmeter <command> --help)',
    '  -V, --version  print the opmeter version',
    '  --verbose      print stack traces of failures (or set OPMETER_DEBUG=1)',
    '',
    'Exit status: 0 success, 1 failure (database, file, table…), 2 command-line mistake,',
    '             3 regression found (opmeter report regressions).',
  ].join('\n');
}

/** Runs the opmeter CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const verbose = argv.includes('--verbose') || io.env.OPMETER_DEBUG === '1';
  const args = argv.filter((arg) => arg !== '--verbose');
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  if (name === undefined) {
    io.stderr.write(`${usage()}\n`);
    return EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
    io.stderr.write(`opmeter: ${terminalText(what)} (run 'opmeter --help' for usage)\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `opmeter ${command.name}: ${terminalText(error.message)} (run 'opmeter ${command.name} --help' for usage)\n`,
      );
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`opmeter ${command.name}: ${terminalText(message.split('\n')[0] ?? '')}\n`);
    if (verbose && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    return EXIT_FAILURE;
  }
}

/**
 * Ends quietly when the reader of stdout went away (`opmeter schema | head -1`), as Unix tools do,
 * instead of an unhandled EPIPE error with a stack trace.
 */
function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? EXIT_OK);
    });
  }
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Hides Node's "SQLite is an experimental feature" notice, which is noise for CLI users. */
function hideSqliteExperimentalWarning(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes('SQLite is an experimental feature')) return;
    (emit as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem !== undefined) {
    process.stderr.write(`opmeter: ${problem}\n`);
    process.exitCode = EXIT_FAILURE;
  } else {
    hideSqliteExperimentalWarning();
    exitQuietlyOnClosedPipe();
    process.exitCode = await main(process.argv.slice(2));
  }
}
