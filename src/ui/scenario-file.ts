import { parseJsonSafely, scenarioSizeError, type Result } from '../sim/index';

/** What "Open a scenario file…" reads from (a File, or a test's stand-in). */
export interface ScenarioFile {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
}

/**
 * "Open a scenario file…": the size is checked on the File before anything is
 * read (a 50 MB file is refused without reading it), then the text goes
 * through the core's safe parser, the same one the CLI and share links use
 * (depth cap, `__proto__` and friends refused). Never throws.
 */
export function readScenarioFile(file: ScenarioFile): Promise<Result<unknown>> {
  return readPickedFile(file, scenarioSizeError, parseJsonSafely);
}

/**
 * A file the user picked, read as one kind of input: refused by `sizeError` on
 * the File before anything is read, then the text handed to `parse`; every
 * refusal starts with the file's name. Never throws.
 */
export async function readPickedFile<T>(file: ScenarioFile, sizeError: (bytes: number) => string | null, parse: (text: string) => Result<T>): Promise<Result<T>> {
  const tooLarge = sizeError(file.size);
  if (tooLarge) return { ok: false, error: `${file.name}: ${tooLarge}` };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, error: `${file.name}: cannot read the file (${(e as Error).message})` };
  }
  const r = parse(text);
  return r.ok ? r : { ok: false, error: `${file.name}: ${r.error}` };
}
