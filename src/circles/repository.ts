/** A named group of client accounts, such as a household. */
export interface Circle {
  id: string;
  firmId: string;
  name: string;
  createdAt: string;
}

/** Storage of circles and their members. Every method takes the firm. */
export interface CircleRepository {
  /** Creates the circle with `memberIds` as its members. */
  create(circle: Circle, memberIds: readonly string[]): Promise<void>;
}
