import { loadConfig } from '@commerce/nest-kit';
import { authConfigSchema } from '../config';
import { KeysService } from './keys.service';

/**
 * `npm run keys:rotate -w @commerce/auth`: rolls the development key ring. Running instances keep
 * signing with the old key until restarted; verifiers accept both in the meantime.
 */
async function main(): Promise<void> {
  const keys = await KeysService.create(loadConfig(authConfigSchema));
  const kid = await keys.rotate();
  process.stdout.write(`auth: new signing key ${kid}; restart the auth service to sign with it\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `auth: key rotation failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
