/**
 * The sequence chart's mapping of a trace event, in a module of its own so that follow-current.ts can
 * import it when an event first becomes current (Step or follow mode) instead of at boot: the page
 * starts without it (FollowPanel's chunk shares it).
 */
export { sequenceOf } from '../sim/index';
