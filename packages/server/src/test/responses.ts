import type { ErrorResponse } from '@resolutionflow/types';

/** The JSON body of a response (or of a response still on its way), as `T`. */
export const json = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;

/** The `error` object of an error response. */
export const errorOf = async (response: Response) => (await json<ErrorResponse>(response)).error;
