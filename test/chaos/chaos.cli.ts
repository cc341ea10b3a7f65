// `npm run chaos`: the full chaos run (docs/operations.md, "Chaos run"). Prints the table; exits 1
// naming the offending order ids when a check fails, 2 when the run itself could not be made.
import { allFaults } from './faults';
import { chaosOptions, formatReport, runChaos } from './chaos';

async function main(): Promise<number> {
  const options = chaosOptions(process.env, { orders: 300, ratePerSecond: 1, faults: allFaults(), gapMs: 10_000 });
  const report = await runChaos(options);
  console.log(formatReport(report));
  return report.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[chaos] the run could not be made: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
