/** The two kinds of trial the law allows (API-CONTRACT-2 §2), apart so ethics can name them without the trial rules. */
export const TRIAL_KINDS = ['healthcare', 'pilot'] as const;
export type TrialKind = (typeof TRIAL_KINDS)[number];
