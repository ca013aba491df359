import { accessSync, constants } from 'node:fs';
import { mongo } from 'mongoose';
import { z } from 'zod';

// Options naming files the driver reads only when it connects.
const FILE_OPTIONS = ['tlsCAFile', 'tlsCertificateKeyFile'];

/**
 * MONGO_URL: a MongoDB connection string as the driver reads it, checked at start by the driver's
 * own parser (no connection is made): replica sets (`mongodb://a:27017,b:27017/db?replicaSet=rs0`),
 * `mongodb+srv://`, TLS (`tls=true`, `tlsCAFile=/path/ca.pem`, `tlsCertificateKeyFile=...`),
 * credentials and `authSource`. The URL goes to Mongoose unchanged.
 */
export function envMongoUrl() {
  return z.string().superRefine((raw, ctx) => {
    if (!/^mongodb(\+srv)?:\/\//.test(raw)) {
      ctx.addIssue({ code: 'custom', message: 'expected a mongodb:// or mongodb+srv:// URL' });
      return;
    }
    try {
      // The constructor parses and validates every option; connecting is a separate step.
      void new mongo.MongoClient(raw);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return;
    }
    const params = new URLSearchParams(raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '');
    for (const option of FILE_OPTIONS) {
      const path = params.get(option);
      if (path === null) continue;
      try {
        accessSync(path, constants.R_OK);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        ctx.addIssue({ code: 'custom', message: `cannot read ${option} ${path} (${code})` });
      }
    }
  });
}
