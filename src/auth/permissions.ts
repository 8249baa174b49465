import { ForbiddenError } from '../errors.js';
import type { Caller } from './caller.js';

/** Employees read every detail of the firm and clients their own; externals read none. */
export function assertCanReadContactDetails(caller: Caller): void {
  if (caller.accountType === 'external') {
    throw new ForbiddenError();
  }
}

/** Only an employee whose login has write permission creates or changes contact details. */
export function assertCanWriteContactDetails(caller: Caller): void {
  if (caller.accountType !== 'employee' || !caller.hasWritePermission) {
    throw new ForbiddenError();
  }
}

/** Only an employee whose login has delete permission deletes contact details. */
export function assertCanDeleteContactDetails(caller: Caller): void {
  if (caller.accountType !== 'employee' || !caller.hasDeletePermission) {
    throw new ForbiddenError();
  }
}
