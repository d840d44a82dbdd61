import { readRecording, recordingSizeError, type RecordingResult } from '../sim/index';
import type { ScenarioFile } from './scenario-file';

export { isRecordingName } from './recording-state';

/**
 * "Open a recording…": the size is checked on the File before anything is
 * read, then the text goes through the core's line-by-line reader, whose
 * refusals name the line and the field. Never throws.
 */
export async function readRecordingFile(file: ScenarioFile): Promise<RecordingResult> {
  const tooLarge = recordingSizeError(file.size);
  if (tooLarge) return { ok: false, error: `${file.name}: ${tooLarge}` };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, error: `${file.name}: cannot read the file (${(e as Error).message})` };
  }
  const r = readRecording(text);
  return r.ok ? r : { ok: false, error: `${file.name}: ${r.error}` };
}
