import { ensureSampleBundles } from '../electron/cli/sample-bundles.ts';

const source = await ensureSampleBundles(undefined, process.argv.includes('--force'));
console.log(`sample bundles ready in ${source.bundlesDir}`);
