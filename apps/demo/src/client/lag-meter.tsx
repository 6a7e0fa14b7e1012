import type { LagSample } from './use-lag-samples.js';

/** Lag below this is healthy; above {@link BAD} nobody gets served on time. */
const OK = 20;
const BAD = 100;

function level(ms: number): string {
  return ms < OK ? 'ok' : ms < BAD ? 'slow' : 'blocked';
}

/**
 * A live meter of the server's loop lag: the worst lag of the latest quarter second in big numbers and a
 * bar per sample (height on a log scale, so that 5 ms and 2000 ms both show).
 */
export function LagMeter({ samples }: { samples: LagSample[] }) {
  const latest = samples.at(-1);
  const now = latest?.max ?? 0;
  const height = (ms: number): string =>
    `${Math.min(100, (Math.log10(1 + ms) / Math.log10(1 + 3000)) * 100)}%`;
  return (
    <figure className="lag-meter" data-testid="lag-meter" data-lag={now}>
      <figcaption>
        Server loop lag now:{' '}
        <strong className={level(now)} data-testid="lag-now">
          {latest === undefined ? '…' : `${Math.round(now)} ms`}
        </strong>
      </figcaption>
      <div className="bars" aria-hidden="true">
        {samples.map((sample) => (
          <span
            key={sample.seq}
            className={level(sample.max)}
            style={{ height: height(sample.max) }}
            title={`${Math.round(sample.max)} ms`}
          />
        ))}
      </div>
    </figure>
  );
}
