/** QR signing keys for this deployment: from QR_SECRET, or a secret generated once and stored in the database. */
import type { Db } from '../db/client';
import { getOrCreateSetting } from '../db/queries/audit';
import { keysFromSecret, newSecret, type QrKeys } from './tokens';

export async function loadQrKeys(db: Db, configured?: string): Promise<QrKeys> {
  const secret = configured ?? (await getOrCreateSetting(db, 'qr_secret', newSecret));
  return keysFromSecret(secret);
}
