// The fixed body of the baseline servers: a contact detail with one owner, as large as the
// resource contactd sends for GET one.
export const FIXED_BODY = {
  uuid: '01a23e58-1175-727c-92da-850496dbb05b',
  created_at: '2026-06-08T16:08:03+01:00',
  updated_at: '2026-06-08T16:08:03+01:00',
  type: 'phone_number',
  name: 'Work phone number',
  value: '+441134960456',
  phone_number_meta: { country: 'GB', formatted: '0113 496 0456', national: '0113 496 0456' },
  accounts: [{ uuid: '01a23e58-1160-734a-95a7-f2e019e54d1f', name: 'Ada Jones', type: 'client' }],
  primary_accounts: [],
};
