import { CreateAuthSchema1767225600000 } from './1767225600000-create-auth-schema';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreateAuthSchema1767225600000];
