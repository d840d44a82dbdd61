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
export async function readScenarioFile(file: ScenarioFile): Promise<Result<unknown>> {
  const tooLarge = scenarioSizeError(file.size);
  if (tooLarge) return { ok: false, error: `${file.name}: ${tooLarge}` };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, error: `${file.name}: cannot read the file (${(e as Error).message})` };
  }
  const parsed = parseJsonSafely(text);
  return parsed.ok ? parsed : { ok: false, error: `${file.name}: ${parsed.error}` };
}
