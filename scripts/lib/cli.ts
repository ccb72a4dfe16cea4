/**
 * Command lines of the npm-run scripts (simulate, soak, bench, deploy:check): node:util's parseArgs,
 * plus `--help` / `-h`, which prints the script's header comment (its usage, written once, where a reader
 * of the code finds it too), and one readable line instead of a stack trace for an unknown option, a
 * missing value or a stray argument. Exit codes: 0 after --help, 2 for a bad command line.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/**
 * parseArgs (strict, no positionals) over process.argv for the script at `scriptUrl` (its
 * `import.meta.url`), or its usage / a one-line error and exit. `name` is the npm script's, by default
 * the file's (`scripts/bench.ts` is `npm run bench`).
 */
export function parseCli<const O extends ParseArgsOptionsConfig>(
  scriptUrl: string,
  config: { options: O; name?: string },
) {
  const file = fileURLToPath(scriptUrl);
  const name = config.name ?? path.basename(file, path.extname(file));
  const args = process.argv.slice(2);
  const own = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  if (own.includes("--help") || own.includes("-h")) {
    console.log(usage(file, name));
    process.exit(0);
  }
  try {
    return parseArgs({ args, options: config.options, strict: true, allowPositionals: false });
  } catch (error) {
    return usageError(name, explain(error));
  }
}

/** `name: message`, a pointer to --help, exit 2: for a value the script itself finds wrong. */
export function usageError(name: string, message: string): never {
  console.error(`${name}: ${message} (\`npm run ${name} -- --help\` lists the options)`);
  process.exit(2);
}

/** A whole number ≥ `min` from an option's text, or a usage error naming the option. */
export function intOption(name: string, option: string, text: string, min = 0): number {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    return usageError(name, `--${option} must be a whole number${min > 0 ? ` ≥ ${min}` : ""}, not "${text}"`);
  }
  return Number(text);
}

/** The script's first /** … *\/ comment, without its stars. */
function usage(file: string, name: string): string {
  const doc = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, "utf8"))?.[1];
  if (!doc) return `Usage: npm run ${name} [-- options]`;
  return doc
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, ""))
    .join("\n")
    .trim();
}

/** parseArgs' messages, shorter and without its advice about positionals (there are none here). */
function explain(error: unknown): string {
  const { code, message = "" } = error as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
  const option = quoted.split(" ")[0];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted}"`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return message.includes("does not take an argument")
        ? `${option} takes no value`
        : `${option} needs a value`;
    default:
      throw error;
  }
}
