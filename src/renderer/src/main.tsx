import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { subscribeToEvents } from './store/events';
import './styles/tokens.css';
import './styles/base.css';
import './styles/views.css';

subscribeToEvents();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
