import { readRecording, recordingSizeError, type RecordingResult } from '../sim/index';
import { readPickedFile, type ScenarioFile } from './scenario-file';

export { isRecordingName } from './recording-state';

/**
 * "Open a recording…": the size is checked on the File before anything is
 * read, then the text goes through the core's line-by-line reader, whose
 * refusals name the line and the field. Never throws.
 */
export function readRecordingFile(file: ScenarioFile): Promise<RecordingResult> {
  return readPickedFile(file, recordingSizeError, readRecording);
}
