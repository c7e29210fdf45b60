/** Column sizes shared by both dialects' tables. */
export const SURVEY_ID_LENGTH = 64;
export const CHANNEL_LENGTH = 32;
export const RESPONDENT_LENGTH = 128;
