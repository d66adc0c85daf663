/**
 * Sentinel labels, defined once for every package. They are distinct so that a value can never be read as
 * the other: smoothing's "no class certified" and sdm's "no label given" used to both be −1.
 */
/** A smoothed classifier's abstention (no class certified). */
export const ABSTAIN = -1;
/** A row with no label (sdm's unlabeled calibration/test rows). */
export const UNLABELED = -2;
