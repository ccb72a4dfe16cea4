/** A webhook source: one Jenkins (or one group of jobs) posting with one token. */
export interface SourceRecord {
  id: string;
  name: string;
  provider: "jenkins";
  created_at: string;
  disabled: boolean;
  revoked_at?: string;
}
