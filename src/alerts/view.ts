/** Alerts as the API and the notifications show them. */
import type { Alert, AlertEvent } from "./store";

/** An alert as the API shows it: the model, and the provider it came from. */
export const toApiAlert = (alert: Alert) => ({ ...alert, provider: "jenkins" });

/** An event as the API shows it: its document as `payload`, not the stored text. */
export const toApiEvent = ({ body: _body, ...event }: AlertEvent) => event;
