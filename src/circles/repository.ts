/** A named group of client accounts, such as a household. */
export interface Circle {
  id: string;
  firmId: string;
  name: string;
  createdAt: string;
  updatedAt?: string;
}

/** Storage of circles and their members. Every method takes the firm. */
export interface CircleRepository {
  /** Creates the circle with `memberIds` as its members. */
  create(circle: Circle, memberIds: readonly string[]): Promise<void>;

  /** Returns one page of the firm's circles, oldest first. */
  list(firmId: string, limit: number, offset: number): Promise<Circle[]>;

  count(firmId: string): Promise<number>;

  /** Returns the member account ids of each circle, keyed by circle id. */
  listMembers(firmId: string, circleIds: readonly string[]): Promise<Map<string, string[]>>;
}
