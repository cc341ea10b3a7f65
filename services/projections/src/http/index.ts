import { CustomersController } from './customers.controller';
import { OrdersController } from './orders.controller';
import { RebuildsController } from './rebuilds.controller';
import { ReportsController } from './reports.controller';

export const CONTROLLERS = [CustomersController, OrdersController, RebuildsController, ReportsController];
