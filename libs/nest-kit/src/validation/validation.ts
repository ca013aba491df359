import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';

/** One invalid field; `field` is the full path, e.g. `shippingAddress.city` or `items[0].quantity`. */
export interface FieldViolation {
  readonly field: string;
  readonly constraints: readonly string[];
}

/**
 * Flattens class-validator's tree of errors into one entry per field, with messages rewritten to
 * name the full path (class-validator only names the leaf property).
 */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parentPath = '',
): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const error of errors) {
    const path = joinPath(parentPath, error.property);
    if (error.constraints) {
      const constraints = Object.values(error.constraints).map((message) =>
        qualify(message, error.property, path),
      );
      violations.push({ field: path, constraints });
    }
    if (error.children && error.children.length > 0) {
      violations.push(...flattenValidationErrors(error.children, path));
    }
  }
  return violations;
}

/** The error a failed validation becomes: 400 VALIDATION_FAILED naming every field. */
export function validationFailed(errors: readonly ValidationError[]): AppError {
  const details = flattenValidationErrors(errors);
  const summary = details.flatMap((detail) => detail.constraints).join('; ');
  return new AppError({
    status: 400,
    code: ErrorCode.VALIDATION_FAILED,
    message: summary ? `Validation failed: ${summary}` : 'Validation failed',
    details,
  });
}

/**
 * The global pipe: strips nothing silently (unknown fields are rejected, so a typo in a field name
 * is an error rather than ignored input) and turns payloads into DTO instances.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Report every problem at once, but not the same field's value back (it may be a secret).
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(errors),
  });
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

// "city must be a string" -> "shippingAddress.city must be a string";
// "property x should not exist" -> "property shippingAddress.x should not exist".
function qualify(message: string, property: string, path: string): string {
  if (path === property) return message;
  if (message.startsWith(`${property} `)) return `${path}${message.slice(property.length)}`;
  const unknownField = `property ${property} `;
  if (message.startsWith(unknownField))
    return `property ${path} ${message.slice(unknownField.length)}`;
  return message;
}
