import { loadConfig } from '@commerce/nest-kit';
import { z } from 'zod';
import { envMongoUrl } from './mongo-url';

const schema = z.object({ MONGO_URL: envMongoUrl() });
const load = (url: string) => loadConfig(schema, { MONGO_URL: url }).MONGO_URL;

describe('MONGO_URL', () => {
  it.each([
    'mongodb://127.0.0.1:27017/commerce_notifications',
    'mongodb://app:pw@db-0.db:27017,db-1.db:27017,db-2.db:27017/commerce_notifications?replicaSet=rs0&authSource=admin',
    'mongodb+srv://app:pw@cluster0.example.mongodb.net/commerce_notifications?retryWrites=true&w=majority',
    `mongodb://db-0:27017,db-1:27017/shop?replicaSet=rs0&tls=true&tlsCAFile=${__filename}`,
  ])('passes %s through unchanged', (url) => {
    expect(load(url)).toBe(url);
  });

  it.each([
    ['http://db/shop', /expected a mongodb:\/\/ or mongodb\+srv:\/\/ URL/],
    ['mongodb://db/shop?tls=maybe', /tls\/ssl must be either "true" or "false"/],
    [
      'mongodb://a,b/shop?directConnection=true',
      /directConnection option requires exactly one host/,
    ],
    ['mongodb://db/shop?tls=true&tlsCAFile=/nonexistent/ca.pem', /cannot read tlsCAFile/],
  ])('names the variable for %s', (url, reason) => {
    expect(() => load(url)).toThrow(/MONGO_URL: /);
    expect(() => load(url)).toThrow(reason);
  });
});
