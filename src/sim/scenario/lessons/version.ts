/** Lesson format version, in a module of its own so readers of the data need not load the validator. */
export const LESSON_VERSION = 1;
