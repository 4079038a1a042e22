// The one error of connect/disconnect: an agent's config file Dejafix cannot change safely (not
// parseable, or of a shape it does not expect). The message names the file and says what to do;
// nothing is written when it is thrown.
import { DejafixError } from '../../util/errors';

export class ConfigMergeError extends DejafixError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'config-merge', cause: options.cause });
    this.name = 'ConfigMergeError';
  }
}
