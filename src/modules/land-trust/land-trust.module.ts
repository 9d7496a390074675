import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { ApproveBudgetIncreaseController } from './approve-budget-increase/approve-budget-increase.controller';
import { ApproveBudgetIncreaseHandler } from './approve-budget-increase/approve-budget-increase.handler';
import { ApproveImprovementController } from './approve-improvement/approve-improvement.controller';
import { ApproveImprovementHandler } from './approve-improvement/approve-improvement.handler';
import { CancelImprovementController } from './cancel-improvement/cancel-improvement.controller';
import { CancelImprovementHandler } from './cancel-improvement/cancel-improvement.handler';
import { ChangePropertyStatusController } from './change-property-status/change-property-status.controller';
import { ChangePropertyStatusHandler } from './change-property-status/change-property-status.handler';
import { CompleteImprovementController } from './complete-improvement/complete-improvement.controller';
import { CompleteImprovementHandler } from './complete-improvement/complete-improvement.handler';
import { GetImprovementController } from './get-improvement/get-improvement.controller';
import { GetImprovementHandler } from './get-improvement/get-improvement.handler';
import { GetPropertyController } from './get-property/get-property.controller';
import { GetPropertyHandler } from './get-property/get-property.handler';
import { LandTrustWrites } from './land-trust-writes';
import { ListImprovementsController } from './list-improvements/list-improvements.controller';
import { ListImprovementsHandler } from './list-improvements/list-improvements.handler';
import { ListPropertiesController } from './list-properties/list-properties.controller';
import { ListPropertiesHandler } from './list-properties/list-properties.handler';
import { PlanImprovementController } from './plan-improvement/plan-improvement.controller';
import { PlanImprovementHandler } from './plan-improvement/plan-improvement.handler';
import { ReadPortfolioReportController } from './read-portfolio-report/read-portfolio-report.controller';
import { ReadPortfolioReportHandler } from './read-portfolio-report/read-portfolio-report.handler';
import { ReadPropertyReportController } from './read-property-report/read-property-report.controller';
import { ReadPropertyReportHandler } from './read-property-report/read-property-report.handler';
import { RecordGroundLeaseController } from './record-ground-lease/record-ground-lease.controller';
import { RecordGroundLeaseHandler } from './record-ground-lease/record-ground-lease.handler';
import { RecordImprovementExpenseController } from './record-improvement-expense/record-improvement-expense.controller';
import { RecordImprovementExpenseHandler } from './record-improvement-expense/record-improvement-expense.handler';
import { RecordResaleCreditController } from './record-resale-credit/record-resale-credit.controller';
import { RecordResaleCreditHandler } from './record-resale-credit/record-resale-credit.handler';
import { RegisterPropertyController } from './register-property/register-property.controller';
import { RegisterPropertyHandler } from './register-property/register-property.handler';
import { RequestBudgetIncreaseController } from './request-budget-increase/request-budget-increase.controller';
import { RequestBudgetIncreaseHandler } from './request-budget-increase/request-budget-increase.handler';
import { ReverseImprovementExpenseController } from './reverse-improvement-expense/reverse-improvement-expense.controller';
import { ReverseImprovementExpenseHandler } from './reverse-improvement-expense/reverse-improvement-expense.handler';

/**
 * Controllers in the order the OpenAPI document has always listed the routes (it follows
 * registration order): properties, then projects, then the reports.
 */
const CONTROLLERS = [
  RegisterPropertyController,
  ChangePropertyStatusController,
  RecordGroundLeaseController,
  ListPropertiesController,
  GetPropertyController,
  PlanImprovementController,
  ApproveImprovementController,
  RecordImprovementExpenseController,
  ReverseImprovementExpenseController,
  RequestBudgetIncreaseController,
  ApproveBudgetIncreaseController,
  CompleteImprovementController,
  RecordResaleCreditController,
  CancelImprovementController,
  ListImprovementsController,
  GetImprovementController,
  ReadPropertyReportController,
  ReadPortfolioReportController,
];

const COMMAND_HANDLERS = [
  RegisterPropertyHandler,
  ChangePropertyStatusHandler,
  RecordGroundLeaseHandler,
  PlanImprovementHandler,
  ApproveImprovementHandler,
  RecordImprovementExpenseHandler,
  ReverseImprovementExpenseHandler,
  RequestBudgetIncreaseHandler,
  ApproveBudgetIncreaseHandler,
  CompleteImprovementHandler,
  RecordResaleCreditHandler,
  CancelImprovementHandler,
];

const QUERY_HANDLERS = [ListPropertiesHandler, GetPropertyHandler, ListImprovementsHandler, GetImprovementHandler, ReadPropertyReportHandler, ReadPortfolioReportHandler];

/** Community land trust: properties, improvement projects paid from funds, and their reports. */
@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers: CONTROLLERS,
  providers: [...COMMAND_HANDLERS, ...QUERY_HANDLERS, LandTrustWrites],
})
export class LandTrustModule {}
