/** What other modules may use of the land-trust module: its portfolio report and project listing (the public page reads them). */
export { ReadPortfolioReportQuery } from './read-portfolio-report/read-portfolio-report.handler';
export type { PortfolioReport } from './read-portfolio-report/read-portfolio-report.handler';
export { ListImprovementsQuery } from './list-improvements/list-improvements.handler';
