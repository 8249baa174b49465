/** A tenant: one advice firm and everything it owns. */
export interface Firm {
  id: string;
  name: string;
  createdAt: string;
}

export interface FirmRepository {
  create(firm: Firm): Promise<void>;

  count(): Promise<number>;
}
