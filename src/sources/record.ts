/** A webhook source: one Jenkins (or one group of jobs) posting with one token. */
export interface SourceRecord {
  id: string;
  name: string;
  provider: "jenkins";
  created_at: string;
  disabled: boolean;
  /** QUEUED, STARTED and successful builds are recorded but open no alert (see README). */
  quiet_lifecycle?: boolean;
  revoked_at?: string;
}
