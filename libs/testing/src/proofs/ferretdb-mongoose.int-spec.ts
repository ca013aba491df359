import mongoose, { Schema } from 'mongoose';
import { testEndpoints, uniqueName } from '../index';

interface Note {
  key: string;
  body: string;
  tags: string[];
}

describe('FerretDB through mongoose (real server)', () => {
  const database = uniqueName('proof');
  let connection: mongoose.Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testEndpoints.mongoUrl(database), { serverSelectionTimeoutMS: 5000 })
      .asPromise();
  });
  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('writes a document, reads it back and enforces a unique index', async () => {
    const Notes = connection.model<Note>(
      'Note',
      new Schema<Note>({
        key: { type: String, unique: true, required: true },
        body: String,
        tags: [String],
      }),
    );
    await Notes.init();

    await Notes.create({ key: 'k1', body: 'hello ferret', tags: ['a', 'b'] });
    const found = await Notes.findOne({ key: 'k1' }).lean();
    expect(found).toMatchObject({ key: 'k1', body: 'hello ferret', tags: ['a', 'b'] });

    await expect(Notes.create({ key: 'k1', body: 'duplicate' })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await Notes.countDocuments()).toBe(1);
  });
});
