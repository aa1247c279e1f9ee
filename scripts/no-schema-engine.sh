#!/bin/sh
# Prisma's CLI wants a schema-engine binary even for `generate`, and it cannot be downloaded here.
# This shim fails loudly so that `prisma migrate`/`db push` can never "succeed" silently: Sous's
# migrations are plain SQL in prisma/migrations, applied by scripts/migrate.ts at start.
# Prisma drops the first stderr line and parses the rest as JSON.
MSG="schema-engine is not available offline: Sous applies prisma/migrations itself (npm run db:migrate)"
echo "$MSG" >&2
echo "{\"level\":\"ERROR\",\"target\":\"offline-shim\",\"fields\":{\"message\":\"$MSG\"}}" >&2
exit 1
