import type { NotificationChannel } from '@commerce/contracts';
import { Schema } from 'mongoose';

export const DELIVERY_MODEL = 'Delivery';

/**
 * What a development channel provider would have sent (SMS and push have no real provider yet).
 * `_id` is the notification's id, so a notification is recorded once however often it is handed
 * over.
 */
export interface DeliveryDocument {
  _id: string;
  channel: NotificationChannel;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

export const DeliverySchema = new Schema<DeliveryDocument>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'deliveries', versionKey: false },
);
