import { SetMetadata } from '@nestjs/common';

export const PUBLIC_KEY = 'continuum:public';

/** No API key needed: for /health, /metrics and the like, never for business endpoints. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
