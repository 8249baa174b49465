/**
 * A comment put in a query whose best plan depends on its values. PostgreSQL's storage does not
 * prepare a query that contains it, so the server plans every run with the values it is given.
 */
export const PLANNED_EACH_RUN = '/* planned each run */';
