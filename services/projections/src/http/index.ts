import { CustomersController } from './customers.controller';
import { OrdersController } from './orders.controller';
import { RebuildsController } from './rebuilds.controller';

export const CONTROLLERS = [CustomersController, OrdersController, RebuildsController];
