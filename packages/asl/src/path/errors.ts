/** A JSONPath that does not compile (AWS rejects such a definition; Jayway throws InvalidPathException). */
export class JsonPathSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathSyntaxError';
  }
}
