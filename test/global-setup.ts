/** Runs once before the suite: states plainly what this run cannot cover. */
export default function setup(): void {
  if (!process.env.MONGODB_URI) {
    process.stdout.write('MongoDB contract run SKIPPED: MONGODB_URI is not set; only the embedded store was exercised.\n');
  }
}
