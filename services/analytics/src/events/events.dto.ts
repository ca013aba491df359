import { ApiProperty } from '@nestjs/swagger';

/** The answer to a posted event. */
export class EventAcceptedDto {
  @ApiProperty({ description: 'The event id' }) id!: string;
  @ApiProperty({ description: 'The BullMQ job applying it (the same for a repeated event)' })
  jobId!: string;
}
