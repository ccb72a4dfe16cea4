/** A job's figures ({@link jobFigures}) and heartbeat as text: what the job page's charts sum up. */
import { formatDuration } from "../../core/build-context";
import type { Heartbeat } from "../../heartbeats/rules";
import type { JobFigures } from "../../jobs/history";
import { Fact } from "../shell/layout";
import { Time } from "../shell/time";

const percent = (rate: number | null) =>
  rate === null ? "no green or red build" : `${Math.round(rate * 1000) / 10} %`;
const duration = (ms: number | null) => (ms === null ? "–" : formatDuration(ms));

export function HeartbeatText({ heartbeat }: { heartbeat: Heartbeat }) {
  if (heartbeat.mode === "off") return <>off</>;
  if (heartbeat.mode === "learning") return <>learning (too few builds yet)</>;
  return (
    <>
      a build every {duration(heartbeat.every)} ({heartbeat.mode}), {duration(heartbeat.grace)} grace
      {heartbeat.due_at && (
        <>
          ; next due by <Time iso={heartbeat.due_at} />
        </>
      )}
    </>
  );
}

export function FigureFacts({ figures }: { figures: JobFigures }) {
  const green = figures.time_to_green;
  return (
    <>
      <Fact label="Failure rate, 7 days">{percent(figures.failure_rate_7d)}</Fact>
      <Fact label="Failure rate, 30 days">{percent(figures.failure_rate_30d)}</Fact>
      <Fact label="Time to green (30 days)">
        {green.streaks === 0
          ? "no red streak ended"
          : `mean ${duration(green.mean_ms)}, median ${duration(green.median_ms)} over ${green.streaks} ${
              green.streaks === 1 ? "streak" : "streaks"
            }`}
        {green.red_since_build !== null && <> · red since #{green.red_since_build}</>}
      </Fact>
      <Fact label="Median duration">{duration(figures.median_duration_ms)}</Fact>
    </>
  );
}
