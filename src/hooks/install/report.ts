/** What an install step did, in sentences: `done` changed something, `kept` left something as it was. */
export interface StepReport {
  done: string[];
  kept: string[];
}

export const newReport = (): StepReport => ({ done: [], kept: [] });
